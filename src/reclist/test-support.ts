import crypto from 'node:crypto';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { ApiClient } from '../../test/support/api.js';

/** Sends one file as multipart/form-data, the way the browser's upload form does. */
export function upload(api: ApiClient, url: string, data: Buffer, filename: string, contentType = 'application/octet-stream') {
  const boundary = `----kitaphana${crypto.randomBytes(8).toString('hex')}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`;
  const payload = Buffer.concat([Buffer.from(head), data, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return api.request({ method: 'POST', url, payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
}

/** A CSV list file as Excel in Kazakhstan saves it: Windows-1251, semicolons. */
export function cp1251Csv(rows: string[][]): Buffer {
  return iconv.encode(rows.map((r) => r.join(';')).join('\r\n'), 'win1251');
}

export async function xlsxFile(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('Тізім');
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function readXlsx(data: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  return wb;
}
