import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiClient, Response as ApiResponse } from '../../test/support/api.js';

/** The real MARC files kept beside the repository (read-only test data). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const marcDir = path.resolve(repoRoot, 'test/fixtures/marc');
export const marcFile = (name: string) => path.join(marcDir, name);

/** Posts a file as multipart/form-data, as the browser's upload form does. */
export async function upload(api: ApiClient, url: string, fileName: string, bytes: Uint8Array): Promise<ApiResponse> {
  const form = new FormData();
  form.append('file', new Blob([Buffer.from(bytes)]), fileName);
  const encoded = new Response(form);
  const payload = Buffer.from(await encoded.arrayBuffer());
  return api.request({ method: 'POST', url, payload, headers: { 'content-type': encoded.headers.get('content-type')! } });
}

/** Uploads a file for import and waits until the background import has finished. */
export async function importAndWait(api: ApiClient, fileName: string, bytes: Uint8Array, query = ''): Promise<ApiResponse> {
  const started = await upload(api, `/api/interop/imports${query ? `?${query}` : ''}`, fileName, bytes);
  if (started.status !== 202) return started;
  for (;;) {
    const report = await api.get(`/api/interop/imports/${started.body.id}?limit=500`);
    if (report.body.status !== 'running') return report;
    await new Promise((r) => setTimeout(r, 30));
  }
}
