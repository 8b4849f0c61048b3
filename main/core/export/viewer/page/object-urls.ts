/**
 * blob: URLs for files the reader picked (the page's CSP allows blob: for images and media,
 * never a network origin). All are revoked when another folder is chosen.
 */
let urls: string[] = [];

export function objectUrl(blob: Blob): string {
  const u = URL.createObjectURL(blob);
  urls.push(u);
  return u;
}

export function revokeObjectUrls(): void {
  for (const u of urls) URL.revokeObjectURL(u);
  urls = [];
}
