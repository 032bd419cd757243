import processor from './processor'
import queue from './queue'
import settings from './settings'

const services: { processor: typeof processor; queue: typeof queue; settings: typeof settings } = {
  processor,
  queue,
  settings,
}

export default services
