/**
 * `POST /admin/bulk/upload` (admins only): a CSV file in the CLI's format, sent as
 * multipart/form-data with the page's CSRF token. `@fastify/multipart` is registered in
 * this route's own scope only, with tight limits (one file of at most 5 MB, a few small
 * fields), so no other console form and no API route reads multipart. The file is read
 * whole (it is small), the token checked, the rows parsed by the core (bulk-source.ts),
 * and kept as a draft run; the operator is sent to its preview. Whatever is sent, the
 * answer is a page that says what was wrong, with nothing changed — never a 500.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createBulkRun } from '../../enrollment/bulk-runs.js';
import { parseBulkCsv } from '../../enrollment/bulk-source.js';
import { PforteError } from '../../errors.js';
import { bulkTexts } from '../../text/console/bulk.js';
import { chromeTexts } from '../../text/console/chrome.js';
import type { Lang } from '../../text/i18n.js';
import { csrfHolds } from '../portal/csrf.js';
import type { ConsoleKit } from './kit.js';

export const UPLOAD_LIMIT_MB = 5;
const FIELDS = ['_csrf', 'resend', 'replace'];
/** A file name as shown in the run's source: no path, no control characters, not too long. */
const FILE_NAME_MAX = 100;

interface Upload {
  fields: Record<string, string>;
  file: { name: string; bytes: Buffer } | undefined;
}

export function bulkUploadRoutes(kit: ConsoleKit) {
  return async (app: FastifyInstance) => {
    await app.register(multipart, {
      limits: {
        files: 1,
        fileSize: UPLOAD_LIMIT_MB * 1024 * 1024,
        fields: FIELDS.length,
        fieldSize: 200,
        parts: FIELDS.length + 1,
        headerPairs: 20,
      },
      throwFileSizeLimit: true,
    });

    app.post('/bulk/upload', { schema: { hide: true } }, async (request, reply) => {
      const operator = await kit.operator(request, reply, 'enrollments.bulk');
      if (!operator) return reply;
      const lang = operator.lang;
      const t = bulkTexts[lang];
      const refuse = (status: number, message: string) =>
        kit.refusal(request, reply, status, { title: chromeTexts[lang].errorTitle, message });
      if (!request.isMultipart()) return refuse(415, t.notMultipart);
      const upload = await readUpload(request, lang);
      if (typeof upload === 'string') {
        const tooMuch = upload === t.oneFile || upload === t.tooBig(UPLOAD_LIMIT_MB);
        return refuse(tooMuch ? 413 : 400, upload);
      }
      const token = upload.fields._csrf;
      if (!token || !csrfHolds(request, kit.portal.cookies, token)) {
        return refuse(403, chromeTexts[lang].badForm);
      }
      if (!upload.file || upload.file.bytes.length === 0) return refuse(400, t.noFile);
      let rows;
      try {
        rows = parseBulkCsv(upload.file.bytes);
      } catch (error) {
        if (!(error instanceof PforteError)) throw error;
        return refuse(400, t.notCsv(error.message));
      }
      if (rows.length === 0) return refuse(400, t.notCsv('no rows'));
      const run = await createBulkRun(kit.core, operator.caller, {
        rows,
        source: { kind: 'csv', file: fileName(upload.file.name) },
        options: { resend: upload.fields.resend === 'on', replace: upload.fields.replace === 'on' },
        draft: true,
      });
      return reply.redirect(`/admin/bulk/${run.id}`, 303);
    });
  };
}

/** The form's fields and its one file; or, when the upload breaks a limit, why (a message). */
async function readUpload(request: FastifyRequest, lang: Lang): Promise<Upload | string> {
  const t = bulkTexts[lang];
  const upload: Upload = { fields: {}, file: undefined };
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        upload.file = { name: part.filename, bytes };
      } else if (!FIELDS.includes(part.fieldname) || part.valueTruncated) {
        return t.badUpload;
      } else {
        upload.fields[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    return describeUploadError(error, lang);
  }
  return upload;
}

/** The multipart plugin's refusals, as the operator reads them. */
function describeUploadError(error: unknown, lang: Lang): string {
  const t = bulkTexts[lang];
  const code = (error as { code?: string } | null)?.code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return t.tooBig(UPLOAD_LIMIT_MB);
  if (code === 'FST_FILES_LIMIT') return t.oneFile;
  if (typeof code === 'string' && code.startsWith('FST_')) return t.badUpload;
  // busboy's own complaints (a malformed body, a missing boundary) carry no code.
  if (error instanceof Error && !(error instanceof PforteError)) return t.badUpload;
  throw error;
}

function fileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\p{Cc}\p{Cf}]/gu, '').slice(0, FILE_NAME_MAX);
  return clean || 'upload.csv';
}
