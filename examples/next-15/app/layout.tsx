import type { ReactNode } from 'react'

export const metadata = { title: 'rembg-kit · Next.js example' }

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body
        style={{
          fontFamily: 'system-ui',
          background: 'repeating-conic-gradient(#ddd 0 25%, #fff 0 50%) 0 / 24px 24px',
        }}
      >
        {children}
      </body>
    </html>
  )
}
