// The catalogues against English, the source of every key: Turkish has every key with the same
// parameters; Persian may lack keys (they fall back to English) but has no others.
import { describe, expect, it } from "vitest";
import { formatBytes, formatDate, formatNumber, message, parametersOf, t, upper, type Key } from "./i18n.svelte";
import en from "./locales/en";
import fa from "./locales/fa";
import tr from "./locales/tr";

const keys = Object.keys(en) as Key[];

describe("catalogues", () => {
  it("Turkish has every English key, no other, and the same parameters and plural forms", () => {
    expect(Object.keys(tr).sort()).toEqual([...keys].sort());
    for (const k of keys) {
      expect(parametersOf(tr[k]), k).toEqual(parametersOf(en[k]));
      expect(typeof tr[k], k).toBe(typeof en[k]);
      expect(tr[k], k).not.toBe("");
    }
  });

  it("Persian keys are English keys with the same parameters", () => {
    for (const [k, m] of Object.entries(fa)) {
      expect(keys, k).toContain(k);
      expect(parametersOf(m), k).toEqual(parametersOf(en[k as Key]));
    }
  });

  it("Turkish is written with Turkish letters", () => {
    const all = JSON.stringify(tr);
    for (const letter of ["ı", "İ", "ş", "ğ", "ç", "ö", "ü"]) expect(all, letter).toContain(letter);
  });
});

describe("t", () => {
  it("fills parameters and picks the plural form by the count", () => {
    expect(t("findings.count", { n: 1 }, "en")).toBe("1 finding");
    expect(t("findings.count", { n: 3 }, "en")).toBe("3 findings");
    expect(t("progress.assessed", { assessed: 2, n: 55 }, "tr")).toBe("55 maddeden 2 tanesi değerlendirildi");
  });

  it("formats numbers in the locale", () => {
    expect(t("figure.breaches", { n: 14336 }, "en")).toBe("14,336 breaches");
    expect(t("figure.breaches", { n: 14336 }, "tr")).toBe("14.336 ihlal");
    expect(formatNumber(65.7, { minimumFractionDigits: 1 }, "tr")).toBe("65,7");
    expect(formatNumber(12, {}, "fa")).toBe("۱۲");
  });

  it("falls back to English for a key Persian lacks", () => {
    expect(fa["import.browse"]).toBeUndefined();
    expect(t("import.browse", {}, "fa")).toBe(en["import.browse"]);
    expect(message("app.undo", "fa")).toBe("واگرد");
  });

  it("upper-cases by the Turkish rules", () => {
    expect(upper("gösterge paneli için", "tr")).toBe("GÖSTERGE PANELİ İÇİN");
    expect(upper("ışık", "tr")).toBe("IŞIK");
    expect(upper("this", "en")).toBe("THIS");
  });

  it("formats dates in the locale", () => {
    expect(formatDate("2026-08-09", false, "en")).toBe("9 Aug 2026");
    expect(formatDate("2026-08-09", false, "tr")).toBe("9 Ağu 2026");
    expect(formatDate("not a date", false, "tr")).toBe("not a date");
  });
});

describe("formatBytes", () => {
  it("writes sizes in binary units with the locale's digits", () => {
    expect(formatBytes(512, "en")).toBe("512 B");
    expect(formatBytes(1023, "en")).toBe("1,023 B");
    expect(formatBytes(1536, "en")).toBe("1.5 KiB");
    expect(formatBytes(561354, "en")).toBe("548.2 KiB");
    expect(formatBytes(561354, "tr")).toBe("548,2 KiB");
    expect(formatBytes(12 * 1024 * 1024, "en")).toBe("12.0 MiB");
    expect(formatBytes(3 * 1024 ** 3, "en")).toBe("3.00 GiB");
  });
});
