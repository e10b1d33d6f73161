// The playground's Python: Pyodide, SymPy and the project's derivations, loaded from this site on the
// first request and kept for the next ones. Messages in: {id, call, args}; out: {id, progress} while
// loading, then {id, result} (the JSON text derivations.playground returned) or {id, failure}.
//
// The packages are put on sys.path as the archives they are served as (zipimport), so a start writes
// two files instead of unpacking thousands. After the first answer, a worker that booted Python
// stores a memory snapshot of it (SymPy imported, its caches warm) in this build's cache; a worker
// on the next page restores it instead of booting Python and importing SymPy again. A snapshot that
// does not restore, or whose Python fails on its first call, is deleted, and Python boots as the
// first time (and snapshots anew). A start that fails (a file that could not be fetched) is not kept:
// its request gets the error, and the next request starts afresh. Every request that waits for a start,
// not only the one that began it, is told the stage the start is at and each stage after.
let python = null;
let stage = null; // the stage the start under way is at (null when none is under way)
const waiting = new Set(); // the progress callbacks of the requests waiting for it
const HOME = "/lib/playground/";

function starting(base, damaged = false) {
  // python becomes this start; if it fails, it is forgotten (unless a newer start has replaced it)
  let started = null;
  const tell = (next) => {
    if (python !== started) return; // a start that has been replaced says nothing more
    stage = next;
    for (const say of waiting) say(next);
  };
  started = start(base, tell, damaged);
  python = started;
  stage = null;
  started.then(
    () => { if (python === started) stage = null; },
    () => { if (python === started) [python, stage] = [null, null]; },
  );
  return started;
}

async function ready(base, say) {
  // the Python of the start under way (begun here if there is none), telling say its stages meanwhile
  if (python === null) starting(base);
  const awaited = python;
  waiting.add(say);
  if (stage) say(stage); // a request that came in during the start: where it is now
  try {
    return await awaited;
  } finally {
    waiting.delete(say);
  }
}

async function start(base, say, damaged = false) {
  // damaged: the stored snapshot restored but its Python failed, so it is deleted before anything else
  const manifest = await (await fetch(new URL("manifest.json", base), { cache: "no-cache" })).json();
  const indexURL = new URL(manifest.pyodide, base).href.replace(/[^/]*$/, "");
  const script = import(new URL(manifest.pyodide, base).href);
  const snapshotURL = new URL(`snapshot-${manifest.version}.bin`, base).href;
  const cache = self.caches ? await caches.open(manifest.cache).catch(() => null) : null;
  if (damaged && cache) await cache.delete(snapshotURL);
  const saved = !damaged && cache && (await cache.match(snapshotURL));
  const snapshot = saved ? saved.arrayBuffer().catch(() => new ArrayBuffer(0)) : null; // read while Pyodide's scripts load
  say(saved ? "restore" : "interpreter");
  const archives = Promise.all(manifest.archives.map(async (archive) => {
    const response = await fetch(new URL(archive, base));
    if (!response.ok) throw new Error(`${archive}: HTTP ${response.status}`);
    return [archive.split("/").pop(), new Uint8Array(await response.arrayBuffer())];
  }));
  // awaited below; until then a failed fetch must not count as an unhandled rejection
  for (const pending of [script, archives]) pending.catch(() => {});
  const { loadPyodide } = await script;
  let pyodide = null;
  if (snapshot) {
    try {
      const [bytes, create] = await Promise.all([snapshot, import(indexURL + "pyodide.asm.mjs")]);
      pyodide = await loading(loadPyodide, { indexURL, ...restoring(new Uint8Array(bytes), create.default) });
    } catch {
      await cache.delete(snapshotURL); // unusable: boot as the first time, and snapshot anew
      say("interpreter");
    }
  }
  const restored = pyodide !== null;
  if (!restored) pyodide = await loading(loadPyodide, { indexURL, _makeSnapshot: true });
  say("wheels");
  pyodide.FS.mkdirTree(HOME);
  const names = [];
  for (const [name, bytes] of await archives) {
    pyodide.FS.writeFile(HOME + name, bytes); // the same paths as when the snapshot was made
    names.push(HOME + name);
  }
  if (!restored) {
    pyodide.globals.set("archives", pyodide.toPy(names));
    pyodide.runPython("import sys; sys.path[:0] = archives; del archives");
    say("import");
  }
  const playground = restored ? null : pyodide.pyimport("derivations.playground");
  // a fresh Python is snapshot after its first answer, once: a restored one has nothing new to keep
  const keep = restored || !cache ? null : () => cache.put(snapshotURL, new Response(pyodide.makeMemorySnapshot()));
  // a restored Python is on trial until it has answered once (see answer)
  return { pyodide, playground, keep, restored, answered: false, replaced: false };
}

function loading(loadPyodide, options) {
  // loadPyodide, failing as soon as a promise of it fails unhandled: when pyodide.asm.wasm cannot be
  // fetched, that is all Pyodide does, and its loadPyodide never settles
  let failed;
  const stuck = new Promise((_, reject) => {
    failed = (event) => {
      event.preventDefault();
      reject(event.reason);
    };
  });
  self.addEventListener("unhandledrejection", failed);
  return Promise.race([loadPyodide(options), stuck]).finally(() => self.removeEventListener("unhandledrejection", failed));
}

function restoring(snapshot, create) {
  // Pyodide sizes a new interpreter's memory for a fresh start; the snapshot holds SymPy too, so the
  // memory is grown (by allocating) before Pyodide copies the snapshot over it
  const createPyodideModule = async (settings) => {
    const module = await create(settings);
    while (module.HEAP8.length < snapshot.length) module._malloc(snapshot.length - module.HEAP8.length);
    return module;
  };
  return { _loadSnapshot: snapshot, createPyodideModule };
}

async function answer(base, call, args, say) {
  // the Python that answered, and its answer
  const loaded = await ready(base, say);
  say("running");
  try {
    loaded.playground ??= loaded.pyodide.pyimport("derivations.playground");
    const result = loaded.playground[call](...args);
    loaded.answered = true;
    return [loaded, result];
  } catch (error) {
    if (!loaded.restored || loaded.answered) throw error;
    // A restored Python that fails on its first call: derivations.playground answers every input with
    // JSON, errors included, so whatever escapes it (a Pyodide fatal error, after which that interpreter
    // refuses every call; a module the snapshot lacks) comes from the snapshot. Drop that interpreter,
    // delete the snapshot, boot as the first time, and answer from there (a call that came in meanwhile
    // waits for the same new start).
    if (!loaded.replaced) {
      loaded.replaced = true;
      starting(base, true);
    }
    return answer(base, call, args, say);
  }
}

self.onmessage = async (event) => {
  const { id, base, call, args } = event.data;
  const say = (stage) => self.postMessage({ id, progress: stage });
  try {
    const [loaded, result] = await answer(base, call, args, say);
    self.postMessage({ id, result });
    if (loaded.keep) {
      const keep = loaded.keep;
      loaded.keep = null;
      await keep().catch(() => {}); // without a snapshot the next page boots Python, as the first did
    }
  } catch (error) {
    self.postMessage({ id, failure: String(error && error.message ? error.message : error) });
  }
};
