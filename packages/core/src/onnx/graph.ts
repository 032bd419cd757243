/**
 * Graph edits shared by the optimizer's passes: pruning a graph to the outputs that are read, putting its nodes in
 * topological order, and the names a node reads (its subgraphs' included).
 */
import type { GraphProto, NodeProto } from './messages.js'

/**
 * Keeps the nodes `keep` depends on and drops the other outputs, initializers and value infos. Once the nodes are in
 * topological order, one backward pass finds every dependency.
 */
export function pruneGraph(graph: GraphProto, keep: string[]): boolean {
  sortNodes(graph)
  const nodes = graph.node ?? []
  const needed = new Set(keep)
  const kept: NodeProto[] = []
  for (let index = nodes.length - 1; index >= 0; index--) {
    const node = nodes[index] as NodeProto
    if (!(node.output ?? []).some((name) => needed.has(name))) continue
    kept.push(node)
    for (const name of nodeReferences(node)) needed.add(name)
  }
  const before = sizes(graph)
  graph.node = kept.reverse()
  graph.output = (graph.output ?? []).filter((output) => keep.includes(output.name ?? ''))
  dropUnused(graph, needed)
  return sizes(graph) !== before
}

/**
 * Puts the nodes in topological order. ONNX requires it but converters do not always comply: onnxconverter-common's
 * fp16 conversion appends its Cast nodes at the end (the IS-Net model shipped by imgly has 91 of them there). A
 * depth-first walk in the original order places each node after what it reads and leaves a sorted graph as it is.
 */
export function sortNodes(graph: GraphProto): void {
  const nodes = graph.node ?? []
  const producers = new Map<string, number>()
  nodes.forEach((node, index) => {
    for (const name of node.output ?? []) producers.set(name, index)
  })
  const dependencies = nodes.map((node, index) => {
    const found = new Set(nodeReferences(node).map((name) => producers.get(name) ?? index))
    found.delete(index)
    return [...found].sort((a, b) => a - b)
  })
  if (dependencies.every((list, index) => list.every((dependency) => dependency < index))) return
  const order = depthFirstOrder(dependencies)
  graph.node = order.map((index) => nodes[index] as NodeProto)
}

/** Post-order of a dependency list, iterative (graphs have thousands of nodes). A cycle's back edge is ignored. */
function depthFirstOrder(dependencies: number[][]): number[] {
  const state = new Uint8Array(dependencies.length) // 0 new, 1 on the stack, 2 placed
  const order: number[] = []
  for (let root = 0; root < dependencies.length; root++) {
    if (state[root] !== 0) continue
    state[root] = 1
    const stack: Array<{ index: number; next: number }> = [{ index: root, next: 0 }]
    for (let top = stack.at(-1); top; top = stack.at(-1)) {
      const dependency = dependencies[top.index]?.[top.next++]
      if (dependency === undefined) {
        state[top.index] = 2
        order.push(top.index)
        stack.pop()
      } else if (state[dependency] === 0) {
        state[dependency] = 1
        stack.push({ index: dependency, next: 0 })
      }
    }
  }
  return order
}

/** Every name a node of the graph reads, and the graph's outputs. */
export function neededNames(graph: GraphProto): Set<string> {
  const outputs = (graph.output ?? []).map((output) => output.name ?? '')
  return new Set([...(graph.node ?? []).flatMap(nodeReferences), ...outputs])
}

export function dropUnused(graph: GraphProto, needed: Set<string>): void {
  const initializers = new Set((graph.initializer ?? []).map((tensor) => tensor.name))
  graph.initializer = (graph.initializer ?? []).filter((tensor) => needed.has(tensor.name ?? ''))
  graph.sparse_initializer = (graph.sparse_initializer ?? []).filter((sparse) => needed.has(sparse.values?.name ?? ''))
  // Inputs that only declare an initializer (IR < 4 lists them) go with it; real inputs stay: they are the interface.
  graph.input = (graph.input ?? []).filter((input) => !initializers.has(input.name) || needed.has(input.name ?? ''))
  const produced = new Set((graph.node ?? []).flatMap((node) => node.output ?? []))
  graph.value_info = (graph.value_info ?? []).filter((info) => produced.has(info.name ?? ''))
}

function sizes(graph: GraphProto): string {
  const lists = [graph.node, graph.output, graph.initializer, graph.sparse_initializer, graph.input, graph.value_info]
  return lists.map((list) => list?.length ?? 0).join(',')
}

/** The names a node reads: its inputs and, for If/Loop/Scan, every name its subgraphs mention (a superset is safe). */
function nodeReferences(node: NodeProto): string[] {
  const names = [...(node.input ?? [])]
  for (const graph of subgraphs(node)) names.push(...graphNames(graph))
  return names
}

function graphNames(graph: GraphProto): string[] {
  const names = (graph.output ?? []).map((output) => output.name ?? '')
  for (const node of graph.node ?? []) names.push(...nodeReferences(node))
  return names
}

export function subgraphs(node: NodeProto): GraphProto[] {
  return (node.attribute ?? []).flatMap((attribute) => [
    ...(attribute.g ? [attribute.g] : []),
    ...(attribute.graphs ?? []),
  ])
}
