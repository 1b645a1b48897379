// The request body `kql.requestBody` answers, as the text the user copies. No `vscode` import.

/**
 * The body as text. With a selection, its `Query` is the selected text: a server that reads
 * only `position` (not `range`) answers for the whole file, and the body's other fields
 * (Graph's `Timespan`) stay as the server made them.
 */
export function bodyText(result: unknown, selected: string | undefined): string {
  if (typeof result === 'string') {
    try {
      return bodyText(JSON.parse(result), selected);
    } catch {
      return result;
    }
  }
  const query = selected?.replace(/^\uFEFF/, '').trim();
  const isBody = typeof result === 'object' && result !== null && 'Query' in result;
  return JSON.stringify(isBody && query ? { ...result, Query: query } : result);
}
