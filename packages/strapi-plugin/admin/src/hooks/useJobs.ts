import { useFetchClient } from '@strapi/strapi/admin'
import { useCallback, useEffect, useState } from 'react'
import { errorMessage, type Job, routes } from '../api'
import { useTranslate } from '../utils/translate'
import { usePolling } from './usePolling'

export interface JobsState {
  jobs: Job[]
  error: string | null
  reload: () => Promise<void>
}

/** The server's jobs, newest first (`GET /rembg/jobs`), read again every second and a half while one is running. */
export function useJobs(): JobsState {
  const { get } = useFetchClient()
  const t = useTranslate()
  const [jobs, setJobs] = useState<Job[]>([])
  const [error, setError] = useState<string | null>(null)
  const reload = useCallback(async (): Promise<void> => {
    try {
      const { data } = await get<{ results: Job[] }>(routes.jobs)
      setJobs(data.results)
      setError(null)
    } catch (failure) {
      setError(errorMessage(failure, t('error.unknown')))
    }
  }, [get, t])
  useEffect(() => {
    void reload()
  }, [reload])
  usePolling(
    jobs.some((job) => job.state === 'running'),
    () => void reload(),
  )
  return { jobs, error, reload }
}
