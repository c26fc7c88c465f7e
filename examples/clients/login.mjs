// Log in and call a method over DDP: node login.mjs [url] [username] [password]
// Needs Node 22+ (built-in WebSocket) or, on Node 20, `node --experimental-websocket login.mjs`.
const [url = "ws://127.0.0.1:8090/websocket", user = "root", password = process.env.JOBSERVER_ROOT_PASSWORD] =
  process.argv.slice(2);
const ws = new WebSocket(url);
const pending = new Map();
let nextId = 0;
const call = (method, ...params) =>
  new Promise((resolve, reject) => {
    const id = String(++nextId);
    pending.set(id, { resolve, reject });
    ws.send(JSON.stringify({ msg: "method", id, method, params }));
  });

ws.onmessage = async ({ data }) => {
  const message = JSON.parse(data);
  if (message.msg === "connected") {
    console.log("login:", await call("auth.login", user, password));
    console.log("me:", (await call("auth.me")).pw_name);
    console.log("ping:", await call("core.ping"));
    ws.close();
  } else if (message.msg === "result") {
    const { resolve, reject } = pending.get(message.id);
    message.error ? reject(new Error(message.error.reason)) : resolve(message.result);
  }
};
ws.onopen = () => ws.send(JSON.stringify({ msg: "connect", version: "1", support: ["1"] }));
