import jobs from './jobs'
import processor from './processor'
import settings from './settings'

const services: { processor: typeof processor; jobs: typeof jobs; settings: typeof settings } = {
  processor,
  jobs,
  settings,
}

export default services
