// Drives a Tributary server with the official `openai` npm client (pinned in tools/package.json), streaming and
// not, and prints what it saw as one JSON document for OpenAiClientTest to check.
// Usage: NODE_PATH=tools/node_modules node openai-client.cjs BASE_URL MODEL [MODEL...]   (the key in TRIBUTARY_API_KEY)
const OpenAI = require('openai');

async function main() {
  const [baseURL, ...models] = process.argv.slice(2);
  const client = new OpenAI({ baseURL: baseURL + '/v1', apiKey: process.env.TRIBUTARY_API_KEY, maxRetries: 0 });
  const out = { models: [], completions: [], streams: [], chats: [], chatStreams: [], errors: {} };
  for await (const model of client.models.list()) out.models.push(model.id);
  for (const model of models) {
    const prompt = 'Permission is hereby granted';
    const completion = await client.completions.create({ model, prompt, max_tokens: 16, temperature: 0 });
    out.completions.push({ model, text: completion.choices[0].text, finish_reason: completion.choices[0].finish_reason,
      usage: completion.usage, tributary: completion.tributary });
    const stream = await client.completions.create({ model, prompt, max_tokens: 16, temperature: 0, stream: true,
      stream_options: { include_usage: true } });
    let text = ''; let usage = null; let tributary = null; let finish = null;
    for await (const chunk of stream) {
      if (chunk.usage) usage = chunk.usage;
      if (chunk.tributary) tributary = chunk.tributary;
      for (const choice of chunk.choices) { text += choice.text; if (choice.finish_reason) finish = choice.finish_reason; }
    }
    out.streams.push({ model, text, finish_reason: finish, usage, tributary });
    const messages = [{ role: 'system', content: 'You answer questions about licenses.' }, { role: 'user', content: 'Is MIT permissive?' }];
    const chat = await client.chat.completions.create({ model, messages, max_tokens: 12, temperature: 0 });
    out.chats.push({ model, text: chat.choices[0].message.content, usage: chat.usage, tributary: chat.tributary });
    const chatStream = await client.chat.completions.create({ model, messages, max_tokens: 12, temperature: 0, stream: true });
    let chatText = ''; let chatTributary = null;
    for await (const chunk of chatStream) {
      if (chunk.tributary) chatTributary = chunk.tributary;
      for (const choice of chunk.choices) chatText += choice.delta.content || '';
    }
    out.chatStreams.push({ model, text: chatText, tributary: chatTributary });
  }
  try {
    await client.completions.create({ model: 'no-such-model', prompt: 'x', max_tokens: 2 });
  } catch (e) { out.errors.unknownModel = { status: e.status, code: e.code, type: e.constructor.name }; }
  try {
    await new OpenAI({ baseURL: baseURL + '/v1', apiKey: 'trib-wrong', maxRetries: 0 }).completions.create({ model: models[0], prompt: 'x', max_tokens: 2 });
  } catch (e) { out.errors.badKey = { status: e.status, code: e.code, type: e.constructor.name }; }
  try {
    await client.completions.create({ model: models[0], prompt: 'x', max_tokens: 100000 });
  } catch (e) { out.errors.tooLong = { status: e.status, code: e.code, param: e.param, type: e.constructor.name }; }
  console.log(JSON.stringify(out));
}

main().catch((e) => { console.error(e); process.exit(1); });
