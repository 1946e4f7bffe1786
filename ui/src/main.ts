import { mount } from "svelte";
import App from "./App.svelte";
import "./app.css";
import "./report.css";

const target = document.getElementById("app");
if (!target) throw new Error("the page has no #app element");
export default mount(App, { target });
