import { Box, Typography } from '@strapi/design-system'
import { useState } from 'react'
import { styled } from 'styled-components'
import { fileUrl } from '../api'

/** A checkerboard, as image editors show transparency: the cutout's removed background reads as squares. */
const Checkerboard = styled(Box)`
  background-color: #ffffff;
  background-image:
    linear-gradient(45deg, #d9d9e3 25%, transparent 25%),
    linear-gradient(-45deg, #d9d9e3 25%, transparent 25%),
    linear-gradient(45deg, transparent 75%, #d9d9e3 75%),
    linear-gradient(-45deg, transparent 75%, #d9d9e3 75%);
  background-size: 16px 16px;
  background-position: 0 0, 0 8px, 8px -8px, -8px 0;
`

const Picture = styled.img`
  display: block;
  width: 100%;
  height: 100%;
  object-fit: contain;
`

interface ImagePreviewProps {
  url: string | null
  alt: string
  /** Changes when the file is processed again (the record's date): the browser then loads the new cutout. */
  version?: string
  /** The cutout: shown over a checkerboard. */
  transparent?: boolean
  emptyLabel?: string
  /** Shown instead of a file the browser cannot display (a corrupt upload). */
  brokenLabel?: string
  size?: number
}

/** A stored file at a fixed size (contained, never cropped), or a label where there is none. */
export function ImagePreview({
  url,
  alt,
  version,
  transparent = false,
  emptyLabel = '',
  brokenLabel = '',
  size = 96,
}: ImagePreviewProps): React.JSX.Element {
  const [broken, setBroken] = useState(false)
  const content =
    url && !broken ? (
      <Picture src={fileUrl(url, version)} alt={alt} loading="lazy" onError={() => setBroken(true)} />
    ) : (
      <Box padding={2} style={{ whiteSpace: 'normal' }}>
        <Typography variant="pi" textColor="neutral600">
          {url ? brokenLabel : emptyLabel}
        </Typography>
      </Box>
    )
  const frame = {
    width: `${size}px`,
    height: `${size}px`,
    hasRadius: true,
    borderColor: 'neutral200',
    overflow: 'hidden',
  }
  return transparent ? (
    <Checkerboard {...frame}>{content}</Checkerboard>
  ) : (
    <Box {...frame} background="neutral100">
      {content}
    </Box>
  )
}
