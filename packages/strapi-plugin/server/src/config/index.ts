/** Defaults live in resolveConfig (options.ts), checked in register where core is loaded: none are merged here. */
export default {
  default: {},
  validator(): void {},
}
