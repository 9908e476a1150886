// Text for generated conversations: topics, prose in English and Chinese (with
// the odd emoji), markdown answers and tool outputs. Prose is drawn from
// sentence pools built once, so a million events stay cheap to produce.
import { Prng } from './prng.ts';

export type Language = 'en' | 'zh';

export interface Topic {
  title: string;
  prompt: string;
  language: Language;
  query: string;
}

export const TOPICS: readonly Topic[] = [
  { title: 'Compare vector databases for RAG', prompt: 'Compare Milvus, Qdrant and pgvector for a 50M-document RAG system. Which one should we pick?', language: 'en', query: 'milvus vs qdrant vs pgvector benchmark 2026' },
  { title: 'Quarterly revenue analysis', prompt: 'Here is our Q3 revenue CSV. Find the three regions with the biggest drop and explain why.', language: 'en', query: 'regional revenue decline causes Q3' },
  { title: 'Fix flaky CI pipeline', prompt: 'Our GitHub Actions pipeline fails about 1 in 5 runs on the integration step. Investigate the logs in /mnt/user-data/uploads/ci.log.', language: 'en', query: 'github actions intermittent failure integration tests' },
  { title: 'Podcast script on fusion energy', prompt: 'Write a 10-minute podcast script about the state of fusion energy, two hosts, casual tone.', language: 'en', query: 'fusion energy milestones 2026 ITER NIF' },
  { title: 'Trip plan: Kyoto in autumn', prompt: 'Plan a 5-day trip to Kyoto in November for two people who love gardens and food. Budget around $3,000.', language: 'en', query: 'kyoto autumn foliage gardens november' },
  { title: 'Summarize the attention paper', prompt: 'Summarize "Attention Is All You Need" for a product manager, then list three follow-up papers worth reading.', language: 'en', query: 'attention is all you need follow-up papers' },
  { title: 'Migrate Flask app to FastAPI', prompt: 'Migrate the Flask service in /mnt/user-data/workspace/app to FastAPI and keep the tests green.', language: 'en', query: 'flask to fastapi migration guide' },
  { title: 'Market size for home batteries', prompt: 'Estimate the European market size for home battery storage in 2027, with sources.', language: 'en', query: 'europe residential battery storage market 2027' },
  { title: 'Slide deck on LLM agents', prompt: 'Make a 12-slide deck explaining LLM agents to our sales team.', language: 'en', query: 'llm agent architecture overview tool use memory' },
  { title: 'Debug memory leak in Node service', prompt: 'The node service grows to 4 GB after a day. Heap snapshots are in the workspace. Find the leak.', language: 'en', query: 'node.js memory leak heap snapshot retainers' },
  { title: '分析2025年新能源汽车销量', prompt: '帮我分析一下2025年中国新能源汽车的销量数据，按品牌排名，并预测2026年的趋势。', language: 'zh', query: '2025年 新能源汽车 销量 品牌 排名' },
  { title: '写一篇关于大模型推理优化的技术博客', prompt: '写一篇技术博客，介绍大模型推理优化的常见方法（KV cache、量化、投机解码），面向后端工程师。', language: 'zh', query: '大模型 推理优化 KV cache 量化 投机解码' },
  { title: '整理会议纪要 📝', prompt: '把这段会议录音的文字稿整理成会议纪要，列出行动项和负责人 🙏', language: 'zh', query: '会议纪要 模板 行动项' },
  { title: '调研向量检索开源方案', prompt: '调研一下目前主流的开源向量检索方案，对比性能、易用性和社区活跃度。', language: 'zh', query: '开源 向量检索 对比 性能 社区' },
  { title: '旅行计划：成都三日游 🐼', prompt: '帮我规划一个成都三日游，想看熊猫、吃火锅，预算五千元以内。', language: 'zh', query: '成都 三日游 熊猫基地 火锅 推荐' },
];

const EN_OPENERS = ['I looked into', 'After reviewing', 'Based on', 'Looking at', 'Comparing', 'Going through', 'Checking', 'From'];
const EN_SUBJECTS = ['the benchmark results', 'the uploaded logs', 'the three candidate designs', 'the latest release notes', 'the survey data', 'the test failures', 'the vendor documentation', 'the cost model', 'the heap snapshot', 'recent papers'];
const EN_FINDINGS = [
  'the main bottleneck is the serialization step, not the network',
  'latency stays under 40 ms up to roughly 10k requests per second',
  'two of the sources disagree, so I cross-checked with a third',
  'the numbers are consistent with last quarter once seasonality is removed',
  'the failure only happens when the cache is cold',
  'most of the cost comes from re-embedding unchanged documents',
  'the API changed in version 2.3, which explains the warnings',
  'this approach trades a little accuracy for a large speedup',
  'the retry logic hides the real error message',
  'a simple index on (thread_id, seq) removes the full scan',
];
const EN_FOLLOWUPS = [
  'I will verify this with a second search.',
  'Next I will read the relevant files.',
  'Let me run the script to confirm.',
  'I have summarized the details below.',
  'The table below shows the comparison.',
  'Happy to dig deeper into any of these.',
  'This should be good enough for a first decision.',
  'I saved the intermediate results to the workspace.',
];

const ZH_OPENERS = ['根据', '通过分析', '对比', '查阅', '综合', '结合'];
const ZH_SUBJECTS = ['最新的行业报告', '上传的日志文件', '官方文档', '公开的基准测试', '用户反馈数据', '三个候选方案', '近期的论文', '销量统计'];
const ZH_FINDINGS = [
  '主要瓶颈在于数据序列化，而不是网络传输',
  '头部品牌的市场份额继续扩大，二线品牌压力明显',
  '两个来源的数据存在差异，我用第三个来源做了交叉验证',
  '在缓存未命中的情况下延迟会显著上升',
  '大部分成本来自重复计算，可以通过缓存优化',
  '新版本的接口有不兼容的变更，需要注意迁移',
  '整体趋势与去年同期基本一致',
];
const ZH_FOLLOWUPS = ['下面是详细的对比表格。', '我会再搜索一次来确认。', '接下来我会读取相关文件。', '结果已经保存到工作区。', '如有需要可以进一步展开 😊', '这个结论仅供参考 🤔'];

const EMOJI = ['🚀', '✅', '⚠️', '📊', '🔍', '💡', '🎉', '🦌', '👍', '🧪'];

function buildPool(rng: Prng, language: Language, size: number): string[] {
  const pool: string[] = [];
  for (let i = 0; i < size; i++) {
    const sentence =
      language === 'en'
        ? `${rng.pick(EN_OPENERS)} ${rng.pick(EN_SUBJECTS)}, ${rng.pick(EN_FINDINGS)}. ${rng.pick(EN_FOLLOWUPS)}`
        : `${rng.pick(ZH_OPENERS)}${rng.pick(ZH_SUBJECTS)}，${rng.pick(ZH_FINDINGS)}。${rng.pick(ZH_FOLLOWUPS)}`;
    pool.push(rng.chance(0.15) ? `${sentence} ${rng.pick(EMOJI)}` : sentence);
  }
  return pool;
}

// Fixed seed: the pools are part of the vocabulary, not of a generated store.
const poolRng = new Prng(0x5eed);
const POOLS: Record<Language, string[]> = { en: buildPool(poolRng, 'en', 400), zh: buildPool(poolRng, 'zh', 300) };

/** Prose of about `chars` characters. */
export function prose(rng: Prng, language: Language, chars: number): string {
  const pool = POOLS[language];
  const separator = language === 'en' ? ' ' : '';
  let text = rng.pick(pool);
  while (text.length < chars) text += separator + rng.pick(pool);
  return text;
}

/** A markdown answer: heading, prose, a list and sometimes a table or code block. */
export function markdownAnswer(rng: Prng, language: Language, chars: number): string {
  const parts = [language === 'en' ? '## Summary' : '## 总结', prose(rng, language, Math.max(40, chars * 0.5))];
  const items = rng.int(2, 4);
  for (let i = 0; i < items; i++) parts.push(`- **${i + 1}.** ${prose(rng, language, Math.max(20, chars * 0.1))}`);
  if (rng.chance(0.3)) parts.push(markdownTable(rng));
  else if (rng.chance(0.2)) parts.push(codeBlock(rng));
  return parts.join('\n\n');
}

function markdownTable(rng: Prng): string {
  const rows = ['| Option | Latency (ms) | Cost / month | Notes |', '|---|---:|---:|---|'];
  for (const name of rng.sample(['Milvus', 'Qdrant', 'pgvector', 'Weaviate', 'Elasticsearch', 'Chroma'], 3)) {
    rows.push(`| ${name} | ${rng.int(3, 90)} | $${rng.int(80, 4000)} | ${rng.pick(['managed', 'self-hosted', 'needs tuning', '推荐', 'beta'])} |`);
  }
  return rows.join('\n');
}

function codeBlock(rng: Prng): string {
  const lines = [
    'import pandas as pd',
    `df = pd.read_csv("/mnt/user-data/uploads/data_${rng.int(1, 9)}.csv")`,
    'summary = df.groupby("region")["revenue"].sum().sort_values()',
    'print(summary.head(3))',
  ];
  return ['```python', ...lines, '```'].join('\n');
}

/** A very long markdown document (reports the agent writes), about `bytes` UTF-8 bytes. */
export function longMarkdown(rng: Prng, bytes: number): string {
  const sections: string[] = ['# Research report: 新能源与储能市场 (2026) 🔋', prose(rng, 'en', 600)];
  let size = Buffer.byteLength(sections.join('\n\n'));
  for (let n = 1; size < bytes; n++) {
    const language: Language = n % 3 === 0 ? 'zh' : 'en';
    const section = [`## ${n}. ${rng.pick(TOPICS).title}`, markdownAnswer(rng, language, 900), prose(rng, language, 700)].join('\n\n');
    sections.push(section);
    size += Buffer.byteLength(section) + 2;
  }
  return sections.join('\n\n');
}

export interface ToolSpec {
  name: string;
  args: (rng: Prng, topic: Topic) => Record<string, string | number | boolean>;
  output: (rng: Prng, topic: Topic) => string;
}

const file = (rng: Prng) => `/mnt/user-data/${rng.pick(['workspace', 'uploads', 'outputs'])}/${rng.pick(['report', 'notes', 'data', 'main', 'analysis'])}_${rng.int(1, 40)}.${rng.pick(['md', 'py', 'csv', 'json', 'txt'])}`;

export const TOOLS: readonly ToolSpec[] = [
  {
    name: 'web_search',
    args: (rng, topic) => ({ query: rng.chance(0.7) ? topic.query : `${topic.query} ${rng.pick(['pricing', 'review', 'github', '2026', '教程'])}` }),
    output: (rng, topic) =>
      JSON.stringify(
        Array.from({ length: rng.int(2, 3) }, (_, i) => ({
          title: `${topic.title} — result ${i + 1}`,
          url: `https://${rng.pick(['example.com', 'docs.example.org', 'news.example.net', 'blog.example.io'])}/${rng.base62(8)}`,
          snippet: prose(rng, topic.language, rng.int(60, 160)),
        })),
      ),
  },
  {
    name: 'web_fetch',
    args: (rng) => ({ url: `https://docs.example.org/${rng.base62(10)}` }),
    output: (rng, topic) => `# ${topic.title}\n\n${prose(rng, topic.language, rng.int(200, 700))}`,
  },
  {
    name: 'read_file',
    args: (rng) => ({ description: 'Read the input file', path: file(rng) }),
    output: (rng, topic) => prose(rng, topic.language, rng.int(100, 500)),
  },
  {
    name: 'write_file',
    args: (rng, topic) => ({ description: 'Save the draft', path: file(rng), content: prose(rng, topic.language, rng.int(100, 400)) }),
    output: () => 'OK',
  },
  {
    name: 'bash',
    args: (rng) => ({ description: 'Run the analysis', command: rng.pick(['python analysis.py', 'ls -la /mnt/user-data/workspace', 'pytest -q', 'npm test -- --run', 'wc -l data.csv']) }),
    output: (rng) =>
      rng.chance(0.15)
        ? `Traceback (most recent call last):\n  File "analysis.py", line ${rng.int(3, 120)}, in <module>\nKeyError: 'region'`
        : `${rng.int(2, 60)} passed in ${rng.int(1, 30)}.${rng.int(10, 99)}s\n${rng.hex(12)}  done`,
  },
  {
    name: 'ls',
    args: () => ({ description: 'List the workspace', path: '/mnt/user-data/workspace' }),
    output: (rng) => Array.from({ length: rng.int(2, 8) }, () => file(rng)).join('\n'),
  },
];

export const MODELS = ['gpt-4.1-2025-04-14', 'claude-sonnet-4-5-20250929', 'deepseek-v3.2', 'doubao-seed-1-6-250615', 'qwen3-max'] as const;

/** Models that return `reasoning_content` in additional_kwargs. */
export const REASONING_MODELS: ReadonlySet<string> = new Set(['deepseek-v3.2', 'doubao-seed-1-6-250615']);

export const ERROR_MESSAGES = [
  "Error code: 429 - {'error': {'message': 'Rate limit reached for requests', 'type': 'requests', 'code': 'rate_limit_exceeded'}}",
  'Request timed out.',
  "Error code: 500 - {'error': {'message': 'The server had an error while processing your request.'}}",
  'Connection error: upstream connect error or disconnect/reset before headers',
];

export const RUN_ERRORS: readonly { type: string; message: string }[] = [
  { type: 'GraphRecursionError', message: 'Recursion limit of 100 reached without hitting a stop condition. You can increase the limit by setting the `recursion_limit` config key.' },
  { type: 'CancelledError', message: 'Run cancelled by user' },
  { type: 'RateLimitError', message: ERROR_MESSAGES[0] },
  { type: 'SandboxError', message: 'Sandbox container exited with code 137 (out of memory)' },
];
