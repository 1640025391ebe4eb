// Entry point of the bundle: the chat page, or the MCP App view when the
// document says data-mode="view".
import { startPage } from "./page";
import { startView } from "./view";

const root = document.getElementById("app")!;
if (document.documentElement.dataset.mode === "view") startView(root);
else startPage(root);
