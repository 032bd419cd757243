export type SceneName = 'ball' | 'vase' | 'box'
export interface Scene {
  name: SceneName
  width: number
  height: number
  /** 3-channel pixels. */
  rgb: Buffer
  /** 255 where the subject is, 0 elsewhere. */
  truth: Buffer
  /** The image encoded as PNG. */
  png: Buffer
}
export const sceneNames: SceneName[]
export function renderScene(name: SceneName, width?: number, height?: number): Promise<Scene>
export function iou(matte: Uint8Array, truth: Uint8Array): number
