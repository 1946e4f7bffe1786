import { describe, expect, it } from "vitest";
import { dataUrl, formatSize, previewKind, shortHash, typedPaths } from "./attachments";

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

  it("formats sizes in powers of 1024", () => {
    expect(formatSize(0)).toBe("0 B");
    expect(formatSize(1023)).toBe("1023 B");
    expect(formatSize(1536)).toBe("1.5 KB");
    expect(formatSize(24 * 1024 * 1024)).toBe("24 MB");
    expect(formatSize(3 * 1024 ** 3)).toBe("3.0 GB");
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
