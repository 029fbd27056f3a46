// The page's timeline: one row per state change (time, machine, from → to, the event) and per
// call result (time, the call, its one-line meaning, and the result with its tokens withheld).
// Newest at the bottom. The rows are kept in sessionStorage, so they survive the page's trips to
// the hosted UI and its /logout (a second tab, opened with noopener, starts its own).

export interface Timeline {
  readonly element: HTMLOListElement;
  transition(machine: string, from: string, to: string, eventType: string): void;
  result(call: string, meaning: string, summary: string): void;
  /** Anything else worth a line: a hub event, the page going offline, a page load. */
  note(text: string): void;
}

/** A row as stored: its kind and its parts, each [class, text]. Text only: never a token. */
interface Row {
  readonly kind: string;
  readonly parts: ReadonlyArray<readonly [string, string]>;
}

const KEY = 'authchart-live-page.timeline';
const KEEP = 300; // rows

const clock = (): string => {
  const now = new Date();
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}.${pad(now.getMilliseconds(), 3)}`;
};

function stored(): Row[] {
  try {
    const rows: unknown = JSON.parse(sessionStorage.getItem(KEY) ?? '[]');
    return Array.isArray(rows) ? (rows as Row[]) : [];
  } catch {
    return []; // unreadable or blocked: start afresh
  }
}

export function createTimeline(): Timeline {
  const list = document.createElement('ol');
  list.id = 'timeline';
  const rows = stored();
  const render = ({ kind, parts }: Row) => {
    const item = document.createElement('li');
    item.className = kind;
    for (const [className, text] of parts) {
      const span = document.createElement('span');
      span.className = className;
      span.textContent = text;
      item.append(span, ' '); // spaces: the row reads (and copies) as text
    }
    list.append(item);
    list.scrollTop = list.scrollHeight; // the list scrolls by itself (page.css): the newest row stays in view
  };
  const add = (kind: string, ...parts: Array<readonly [string, string]>) => {
    const row: Row = { kind, parts: [['time', clock()], ...parts] };
    rows.push(row);
    render(row);
    try {
      sessionStorage.setItem(KEY, JSON.stringify(rows.slice(-KEEP)));
    } catch {
      // not kept across loads: the page works without it
    }
  };
  rows.forEach(render);
  return {
    element: list,
    transition: (machine, from, to, eventType) => add('transition', ['machine', machine], ['change', `${from} → ${to}`], ['event', eventType]),
    result: (call, meaning, summary) => add('result', ['call', call], ['meaning', meaning], ['summary', summary]),
    note: (text) => add('note', ['meaning', text]),
  };
}
