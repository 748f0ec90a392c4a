// The code a key's page shows for a presigned upload: pure text, unit-tested.
import type { PresignedUpload } from "./presign-upload";

/** An HTML attribute value: the object key is the user's text and may hold quotes or ampersands. */
const attr = (v: string) => v.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;");

/** How an application lets a browser upload with this key: the signed URL or form, and the code that uses it. */
export function snippet(p: PresignedUpload): string {
  if (p.method === "PUT") return `// In the browser (the bucket needs CORS rules for your page's origin):\nawait fetch(${JSON.stringify(p.url)}, { method: "PUT", body: file });`;
  const inputs = Object.entries(p.fields ?? {}).map(([k, v]) => `  <input type="hidden" name="${attr(k)}" value="${attr(v)}">`).join("\n");
  return `<form action="${attr(p.url)}" method="post" enctype="multipart/form-data">\n${inputs}\n  <input type="file" name="file">\n  <button>Upload</button>\n</form>`;
}
