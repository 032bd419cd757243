import Image from 'next/image'
import { CutoutCard } from './cutout-card'
import hero from './images/ball.jpg?rembg&w=800&format=webp'
import styles from './page.module.css'

// A Server Component: the cutout is a static image, as `import hero from './images/ball.jpg'` would be.
export default function Home() {
  return (
    <main>
      <h1>rembg-kit · Next.js</h1>
      <Image id="hero" src={hero} alt="A ball, background removed at build time" placeholder="blur" priority />
      <CutoutCard />
      <div id="backdrop" className={styles.backdrop} />
    </main>
  )
}
