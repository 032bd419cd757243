import { useEffect, useRef } from 'react'

/**
 * Calls `tick` every `intervalMs` while `active` is true (work running on the server), and stops when the component
 * unmounts: the page reads progress again instead of being told, so a reload shows the same state.
 */
export function usePolling(active: boolean, tick: () => void, intervalMs = 1500): void {
  const latest = useRef(tick)
  latest.current = tick
  useEffect(() => {
    if (!active) return
    const timer = setInterval(() => latest.current(), intervalMs)
    return () => clearInterval(timer)
  }, [active, intervalMs])
}
