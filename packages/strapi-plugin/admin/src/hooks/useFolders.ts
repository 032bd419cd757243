import { useFetchClient } from '@strapi/strapi/admin'
import { useEffect, useState } from 'react'

export interface FolderOption {
  id: number
  /** By names, as the Media Library shows it: `/Products/Shoes`. */
  path: string
}

interface FolderNode {
  id: number
  name: string
  children?: FolderNode[]
}

function flatten(nodes: FolderNode[], parent = ''): FolderOption[] {
  return nodes.flatMap((node) => {
    const path = `${parent}/${node.name}`
    return [{ id: node.id, path }, ...flatten(node.children ?? [], path)]
  })
}

/**
 * The Media Library's folders, from the upload plugin's own route (`GET /upload/folder-structure`). A user who may not
 * read the Media Library gets none, and the folder filter is not shown.
 */
export function useFolders(): FolderOption[] {
  const { get } = useFetchClient()
  const [folders, setFolders] = useState<FolderOption[]>([])
  useEffect(() => {
    get<{ data: FolderNode[] }>('/upload/folder-structure').then(
      ({ data }) => setFolders(flatten(data.data).sort((a, b) => a.path.localeCompare(b.path))),
      () => setFolders([]),
    )
  }, [get])
  return folders
}
