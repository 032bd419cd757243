import rembg from './rembg'

const controllers: { rembg: typeof rembg } = { rembg }

export default controllers
