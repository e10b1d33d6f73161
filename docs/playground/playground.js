// The "Derive it yourself" page and the "Your turn" boxes: Python (Pyodide, SymPy and the project's
// derivations) runs in a Web Worker that is started on the first click, never on page load. A call that
// runs longer than LIMIT_MS after Python is ready is stopped by terminating the worker; the next click
// starts a new one, so the page stays responsive. The first use also registers the playground's service
// worker (sw.js), which keeps Python's files and a snapshot of the loaded Python for the next pages.
const BASE = new URL("./", import.meta.url);
const LIMIT_MS = 30000;
const LANG = document.documentElement.lang === "zh" ? "zh" : "en";
const WORDS = {
  manifest: ["Loading the playground ...", "正在加载练习环境……"],
  interpreter: ["Loading Python (Pyodide, about 13 MB the first time) ...", "正在加载 Python（Pyodide，首次约 13 MB）……"],
  restore: ["Restoring Python with SymPy loaded ...", "正在恢复已加载 SymPy 的 Python……"],
  wheels: ["Loading SymPy and the project's derivations (about 7 MB the first time) ...", "正在加载 SymPy 和本项目的推导（首次约 7 MB）……"],
  import: ["Importing SymPy ...", "正在导入 SymPy……"],
  running: ["Running the derivation ...", "正在运行推导……"],
  unavailable: ["The in-browser playground is unavailable on this copy of the site: its Python files were not downloaded when the site was built (see python3 dev.py).",
    "本网站副本上的浏览器内练习环境不可用：构建网站时没有下载它所需的 Python 文件（见 python3 dev.py）。"],
  unreachable: ["The playground could not fetch its file manifest.json ({reason}): press the button to try again.",
    "练习环境没能获取它的文件 manifest.json（{reason}）：点击按钮即可重试。"],
  timeout: [`Stopped after ${LIMIT_MS / 1000} s: the expression takes too long. Try a simpler one.`, `运行超过 ${LIMIT_MS / 1000} 秒，已停止：这个表达式太费时，请换一个简单些的。`],
  failed: ["The playground failed:", "练习环境出错："],
};
const say = (key) => WORDS[key][LANG === "zh" ? 1 : 0];

let worker = null;
let counter = 0;
const pending = new Map();

function newWorker() {
  const created = new Worker(new URL("worker.js", BASE), { type: "module" });
  created.onmessage = (event) => {
    const { id, progress, result, failure } = event.data;
    const request = pending.get(id);
    if (!request) return;
    if (progress) {
      performance.mark(`playground ${progress}`); // each stage's start, for the benchmark and the browser's profiler
      request.progress(progress);
      // the limit counts from "running"; a worker whose restored Python failed boots again after it, and
      // says "running" once more
      clearTimeout(request.timer);
      if (progress === "running") request.timer = setTimeout(() => stop(id), LIMIT_MS);
      return;
    }
    clearTimeout(request.timer);
    pending.delete(id);
    if (failure !== undefined) request.resolve({ status: "error", html: `<p class="playground-error">${say("failed")} ${escapeHtml(failure)}</p>` });
    else request.resolve(JSON.parse(result));
  };
  return created;
}

function stop(id) {
  // the worker is busy in Python and cannot be interrupted: end it, and fail every call it held
  worker.terminate();
  worker = null;
  for (const [other, request] of pending) {
    clearTimeout(request.timer);
    request.resolve({ status: "error", html: `<p class="playground-error">${say("timeout")}</p>` });
    pending.delete(other);
  }
}

function escapeHtml(text) {
  const div = document.createElement("div");
  div.textContent = text;
  return div.innerHTML;
}

let registered = null;

function register() {
  // resolves once the service worker is active (or at once where there is none): a Python worker started
  // after that fetches its files through it; a registration that fails leaves the playground as it was
  if (!("serviceWorker" in navigator)) return Promise.resolve();
  const active = navigator.serviceWorker.register(new URL("sw.js", BASE), { scope: BASE.pathname }).then(
    (registration) => registration.active || new Promise((resolve) => {
      const installing = registration.installing || registration.waiting;
      if (!installing) resolve();
      else installing.addEventListener("statechange", () => installing.state === "activated" && resolve());
    }),
  );
  return Promise.race([active, new Promise((resolve) => setTimeout(resolve, 3000))]).catch(() => {});
}

async function call(name, args, progress) {
  if (registered === null) registered = register();
  await registered;
  if (worker === null) worker = newWorker();
  const id = ++counter;
  return new Promise((resolve) => {
    pending.set(id, { resolve, progress, timer: null });
    worker.postMessage({ id, base: BASE.href, call: name, args: [...args, LANG] });
  });
}

let manifest = null;

function available() {
  // docs/playground.py writes the manifest at every build: {"available": false} when Pyodide was not fetched.
  // Resolves to that flag, or fails when the manifest could not be fetched (the connection dropped for a
  // moment, the server failed); a failed look is forgotten, so that the next press fetches it again
  if (manifest === null) {
    const look = fetch(new URL("manifest.json", BASE)).then((response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    }).then((read) => read.available === true);
    manifest = look;
    look.catch(() => { manifest = null; });
  }
  return manifest;
}

function refused(why) {
  // why: false when the site was built without the playground, else the error that kept its manifest away
  const reason = () => escapeHtml(String(why?.message ?? why));
  const text = why === false ? say("unavailable") : say("unreachable").replace("{reason}", reason);
  return { status: "error", html: `<p class="playground-error">${text}</p>` };
}

function wire(button, input, output, run) {
  // wired at once, so that a click before the manifest has arrived is not lost: it waits for it
  const go = async () => {
    button.disabled = true;
    output.removeAttribute("data-status");
    output.innerHTML = `<p class="playground-progress">${say("manifest")}</p>`;
    const ready = await available().catch((error) => error);
    const reply = ready === true
      ? await run((stage) => { output.innerHTML = `<p class="playground-progress">${say(stage)}</p>`; })
      : refused(ready);
    output.innerHTML = reply.html;
    output.dataset.status = reply.status;
    button.disabled = false;
  };
  button.addEventListener("click", go);
  if (input) input.addEventListener("keydown", (event) => { if (event.key === "Enter") go(); });
}

async function main() {
  const derive = document.getElementById("derive-button");
  const boxes = document.querySelectorAll(".exercise");
  if (!derive && boxes.length === 0) return;
  if (derive) {
    const input = document.getElementById("derive-input");
    wire(derive, input, document.getElementById("derive-output"), (progress) => call("derive", [input.value], progress));
  }
  for (const box of boxes) {
    const input = box.querySelector("input");
    const output = box.querySelector(".exercise-output");
    const key = box.dataset.exercise;
    wire(box.querySelector(".exercise-check"), input, output, (progress) => call("check", [key, input.value], progress));
    wire(box.querySelector(".exercise-reveal"), null, output, (progress) => call("reveal", [key], progress));
  }
  const ready = await available().catch((error) => error);
  if (ready !== true) {
    for (const place of [document.getElementById("derive-output"), ...Array.from(boxes, (box) => box.querySelector(".exercise-output"))]) {
      if (place) place.innerHTML = refused(ready).html;
    }
  }
}

main();
