// The request body `kql.requestBody` answers, as the text the user copies. No `vscode` import.

/**
 * The body as compact JSON. The server already answers for the selection (`range`), the block at
 * the cursor or the whole file; an answer that is not JSON text is copied as it is.
 */
export function bodyText(result: unknown): string {
  if (typeof result === 'string') {
    try {
      return bodyText(JSON.parse(result));
    } catch {
      return result;
    }
  }
  return JSON.stringify(result);
}
