import "@fontsource/noto-sans/vietnamese-400.css";
import "@fontsource/noto-sans/vietnamese-700.css";
import "@fontsource/noto-sans/latin-400.css";
import "@fontsource/noto-sans/latin-700.css";
import "./app.css";
import "../../assets/report.css";
import { mount } from "svelte";
import App from "./App.svelte";

mount(App, { target: document.getElementById("app")! });
