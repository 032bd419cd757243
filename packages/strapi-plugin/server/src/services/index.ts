import jobs from './jobs'
import processor from './processor'

const services: { processor: typeof processor; jobs: typeof jobs } = { processor, jobs }

export default services
