/**
 * The plugin's own tables, in Strapi's database (so a queue survives a crash and a restart, on SQLite, Postgres or
 * MySQL alike). Both are hidden from the Content Manager and the Content-Type Builder: they are the plugin's state,
 * not content. `task`: one record per file (reused by every later processing of that file, so records grow with the
 * files, not with the attempts); `job`: one per backfill (folder or library), the running ones and the last finished.
 */
const hidden = { 'content-manager': { visible: false }, 'content-type-builder': { visible: false } }

const task = {
  schema: {
    kind: 'collectionType',
    collectionName: 'rembg_tasks',
    info: { singularName: 'task', pluralName: 'tasks', displayName: 'Background removal task' },
    options: { draftAndPublish: false },
    pluginOptions: hidden,
    attributes: {
      /** The `plugin::upload.file` row. */
      fileId: { type: 'integer', required: true },
      /** `pending` (waiting), `running`, or how the last processing ended (`done`, `failed`, `skipped`). */
      state: { type: 'string', required: true },
      /** Bumped by every new request for the file: a processing that ends records its outcome only if none came since. */
      generation: { type: 'integer', default: 0 },
      /** The copy of an async upload's temp file (the true original), removed once processed. */
      spool: { type: 'string' },
      /** The backfill job the processing counts for. */
      job: { type: 'integer' },
      /** Output parameters of a reprocess request; null: the effective config's. */
      params: { type: 'json' },
      /** Processings started and not finished in a row: a file that stops the process every time is given up. */
      attempts: { type: 'integer', default: 0 },
      error: { type: 'text' },
      finishedAt: { type: 'datetime' },
    },
  },
}

const job = {
  schema: {
    kind: 'collectionType',
    collectionName: 'rembg_jobs',
    info: { singularName: 'job', pluralName: 'jobs', displayName: 'Background removal job' },
    options: { draftAndPublish: false },
    pluginOptions: hidden,
    attributes: {
      /** `library` or `folder`. */
      scope: { type: 'string', required: true },
      folderId: { type: 'integer' },
      /** The folder by names (`/Products/Shoes`), as the Media Library shows it. */
      folderPath: { type: 'string' },
      total: { type: 'integer', default: 0 },
      done: { type: 'integer', default: 0 },
      failed: { type: 'integer', default: 0 },
      skipped: { type: 'integer', default: 0 },
      /** `running`, `finished` or `cancelled`. */
      state: { type: 'string', required: true },
      finishedAt: { type: 'datetime' },
    },
  },
}

export default { task, job }
