import { describe, expect, it } from 'vitest'
import { inputDefaults, readOptions } from '../src/inputs.js'
import { readActionYml } from './action-yml.js'

describe('the preset input', () => {
  it('is declared in action.yml with the default the code reads', () => {
    expect(readActionYml().inputs.preset?.default).toBe('quality')
    expect(inputDefaults.preset).toBe('quality')
    expect(readOptions({}).preset).toBe('quality')
    expect(readOptions({ INPUT_PRESET: 'fast' }).preset).toBe('fast')
  })

  it("is checked by core and refused with the input's name", () => {
    expect(() => readOptions({ INPUT_PRESET: 'turbo' })).toThrow(
      "Input 'preset': Unknown preset 'turbo'. Presets: quality, fast",
    )
    expect(() => readOptions({ INPUT_PRESET: 'fast', INPUT_ENGINE: 'remote' })).toThrow(
      "Input 'preset': Preset 'fast' needs engine 'local'; engine 'remote' has only 'quality'",
    )
  })
})
