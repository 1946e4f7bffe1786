// What the window hands the Rust side with a call: the language the core writes its words in,
// and the words of the native dialogs, both in the window's language.
import { afterEach, describe, expect, it, vi } from "vitest";

const invoke = vi.fn<(command: string, args?: unknown) => Promise<unknown>>(async () => null);
vi.mock("@tauri-apps/api/core", () => ({
  invoke: (command: string, args?: unknown) => invoke(command, args),
  Channel: class {
    onmessage: (m: unknown) => void = () => {};
  },
}));

const { api, coreLang } = await import("./api");
const { setLocale } = await import("./i18n.svelte");

/** The arguments of the last call of `command`. */
function argsOf(command: string): Record<string, unknown> {
  const call = invoke.mock.calls.filter((c) => c[0] === command).at(-1);
  expect(call, command).toBeDefined();
  return call![1] as Record<string, unknown>;
}

afterEach(() => {
  setLocale("en");
  invoke.mockClear();
});

describe("the core's language", () => {
  it("is Turkish in Turkish and English in English and in Persian, which the core does not speak", () => {
    setLocale("tr");
    expect(coreLang()).toBe("tr");
    setLocale("fa");
    expect(coreLang()).toBe("en");
    setLocale("en");
    expect(coreLang()).toBe("en");
  });

  it("is told to the Rust side for its error messages", async () => {
    setLocale("tr");
    await api.setLanguage();
    expect(argsOf("set_language")).toEqual({ lang: "tr" });
    setLocale("fa");
    await api.setLanguage();
    expect(argsOf("set_language")).toEqual({ lang: "en" });
  });

  it("goes with the calls whose words come from Rust", async () => {
    setLocale("tr");
    await api.scorecard();
    await api.evidence();
    await api.suggestion("4.4.3");
    expect(argsOf("scorecard")).toEqual({ lang: "tr" });
    expect(argsOf("evidence")).toEqual({ lang: "tr" });
    expect(argsOf("suggestion")).toEqual({ clauseId: "4.4.3", lang: "tr" });
  });
});

describe("native dialogs", () => {
  it("are titled in the window's language", async () => {
    setLocale("tr");
    await api.chooseAndOpen();
    expect(argsOf("choose_and_open").text).toEqual({
      title: "Denetim aç",
      filter: "Clausewise denetimi",
      all_files: "Tüm dosyalar",
    });
    await api.chooseAndAttach("4.2.1");
    expect((argsOf("choose_and_attach").text as { title: string }).title).toBe("4.2.1 maddesine kanıt ekle");
    setLocale("en");
    await api.chooseImportFile();
    expect(argsOf("choose_import_file").text).toEqual({
      title: "Choose a call or complaint export",
      filter: "Exports (CSV, TXT, TSV)",
      all_files: "All files",
    });
  });

  it("offer a report's format by its name", async () => {
    await api.chooseAndExportReport("pdf", "tr", "report.pdf", () => {});
    const args = argsOf("choose_and_export_report");
    expect(args.text).toEqual({ title: "Save the readiness report as", filter: "PDF", all_files: "All files" });
    expect(args.lang).toBe("tr");
  });
});
