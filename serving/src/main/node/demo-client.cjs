// Demo stage 50's client: the official `openai` npm package (tools/package.json) sends completions and chats to the
// Tributary server across several adapters, some streamed, and prints what each cost. Reads the key from
// TRIBUTARY_API_KEY. Usage: node demo-client.cjs BASE_URL PROMPTS_JSON
// PROMPTS_JSON: [{"model", "prompt", "kind"?, "temperature"?, "max_tokens"?}, ...]; kind is completion, stream or chat
// (default: by position), temperature 0.7 and max_tokens 48 by default (temperature 0 is greedy decoding).
const OpenAI = require('openai');

async function main() {
  const [baseURL, promptsJson] = process.argv.slice(2);
  const client = new OpenAI({ baseURL: baseURL + '/v1', apiKey: process.env.TRIBUTARY_API_KEY, maxRetries: 0 });
  const listed = [];
  for await (const model of client.models.list()) listed.push(model);
  console.log(`models served: ${listed.length} (the base and ${listed.length - 1} adapters)`);
  for (const model of listed) {
    const t = model.tributary || {};
    console.log(`  ${model.id.slice(0, 16)}  ${t.kind}${t.name ? ' ' + t.name : ''}${t.datanet ? ' datanet ' + t.datanet + '@' + t.datanet_version : ''}`
      + `  price ${t.price.prompt_wei_per_1k}/${t.price.completion_wei_per_1k} wei per 1k (${t.price.price_version})`);
  }
  const ids = [];
  const requests = JSON.parse(promptsJson);
  for (let i = 0; i < requests.length; i++) {
    const { model, prompt } = requests[i];
    const kind = requests[i].kind || (i % 3 === 2 ? 'chat' : i % 2 === 1 ? 'stream' : 'completion');
    const temperature = requests[i].temperature ?? 0.7;
    const max_tokens = requests[i].max_tokens ?? 48;
    let text = ''; let tributary = null; let finish = null;
    if (kind === 'chat') {
      const chat = await client.chat.completions.create({ model, max_tokens, temperature, seed: i,
        messages: [{ role: 'user', content: prompt }] });
      text = chat.choices[0].message.content; tributary = chat.tributary; finish = chat.choices[0].finish_reason;
    } else if (kind === 'stream') {
      const stream = await client.completions.create({ model, prompt, max_tokens, temperature, seed: i, stream: true });
      for await (const chunk of stream) {
        if (chunk.tributary) tributary = chunk.tributary;
        for (const choice of chunk.choices) { text += choice.text; if (choice.finish_reason) finish = choice.finish_reason; }
      }
    } else {
      const completion = await client.completions.create({ model, prompt, max_tokens, temperature, seed: i });
      text = completion.choices[0].text; tributary = completion.tributary; finish = completion.choices[0].finish_reason;
    }
    ids.push(tributary.inference_id);
    console.log(`\n[${kind}${temperature === 0 ? ', greedy' : ''}] ${model.slice(0, 16)}  prompt: ${JSON.stringify(prompt.length > 70 ? '...' + prompt.slice(-67) : prompt)}`);
    console.log(`  -> ${JSON.stringify(text.slice(0, 160))} (${finish}), fee ${tributary.fee_wei} wei, ${tributary.inference_id}`);
  }
  if (process.env.DEMO_IDS_FILE) require('fs').writeFileSync(process.env.DEMO_IDS_FILE, JSON.stringify(ids));
}

main().catch((e) => { console.error(e); process.exit(1); });
