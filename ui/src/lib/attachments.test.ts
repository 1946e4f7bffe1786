import { describe, expect, it } from "vitest";
import { dataUrl, previewKind, shortHash, typedPaths } from "./attachments";

describe("attachments", () => {
  it("previews only the types recognised from the content, up to 20 MiB", () => {
    expect(previewKind({ media_type: "image/png", size: 10 })).toBe("image");
    expect(previewKind({ media_type: "image/jpeg", size: 20 * 1024 * 1024 })).toBe("image");
    expect(previewKind({ media_type: "image/png", size: 20 * 1024 * 1024 + 1 })).toBe("none");
    expect(previewKind({ media_type: "application/pdf", size: 1 })).toBe("pdf");
    expect(previewKind({ media_type: "text/plain; charset=utf-8", size: 1 })).toBe("text");
    expect(previewKind({ media_type: "image/svg+xml", size: 1 })).toBe("none");
    expect(previewKind({ media_type: "application/octet-stream", size: 1 })).toBe("none");
  });

  it("shortens a hash and builds data URLs that decode to the same bytes", () => {
    expect(shortHash("0123456789abcdef0123")).toBe("0123456789ab");
    const bytes = new Uint8Array(70000).map((_, i) => (i * 7) % 256);
    const url = dataUrl("image/png", bytes);
    expect(url.startsWith("data:image/png;base64,")).toBe(true);
    const back = Uint8Array.from(atob(url.split(",")[1]), (c) => c.charCodeAt(0));
    expect(back).toEqual(bytes);
  });

  it("reads one typed path per line", () => {
    expect(typedPaths(" /a/b.pdf \n\n/c d/e.png\r\n")).toEqual(["/a/b.pdf", "/c d/e.png"]);
    expect(typedPaths("   ")).toEqual([]);
  });
});
