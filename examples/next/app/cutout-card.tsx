'use client'

import { useState } from 'react'
import box from './images/box.jpg?rembg&w=320&format=png'

// A Client Component with a plain <img>: the cutout's URL and size come from the same static image object.
export function CutoutCard() {
  const [zoomed, setZoomed] = useState(false)
  return (
    <button type="button" onClick={() => setZoomed(!zoomed)}>
      <img
        id="box"
        src={box.src}
        width={zoomed ? box.width : box.width / 2}
        height={zoomed ? box.height : box.height / 2}
        alt="A box, background removed at build time"
      />
    </button>
  )
}
