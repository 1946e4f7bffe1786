import { mount } from "svelte";
import App from "./App.svelte";
import "./app.css";
import "./report.css";
import { applyToDocument } from "./lib/i18n.svelte";
import { applyTheme, storedTheme } from "./lib/theme";

// Language, direction and theme are on the root element before the first paint.
applyToDocument();
applyTheme(storedTheme());

const target = document.getElementById("app");
if (!target) throw new Error("the page has no #app element");
export default mount(App, { target });
