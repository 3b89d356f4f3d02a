import { CopyButton } from '../accounts/CopyButton';

/** Offers a text as a file the browser saves (no network: a Blob URL, revoked at once). */
function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

/** The same graph as ASCII and as Mermaid text, to copy or save. */
export function GraphExport({ ascii, mermaid, name }: { ascii: string; mermaid: string; name: string }) {
  return (
    <section className="graph-export" aria-label="Graph as text">
      <details>
        <summary>Graph as ASCII</summary>
        <pre className="fleet-text-graph">{ascii}</pre>
      </details>
      <details>
        <summary>Graph as Mermaid</summary>
        <pre className="fleet-text-graph">{mermaid}</pre>
      </details>
      <div className="graph-export-actions">
        <CopyButton text={ascii} label="Copy ASCII" />
        <CopyButton text={mermaid} label="Copy Mermaid" />
        <button type="button" onClick={() => download(`${name}.txt`, ascii)}>
          Download ASCII
        </button>
        <button type="button" onClick={() => download(`${name}.mmd`, mermaid)}>
          Download Mermaid
        </button>
      </div>
    </section>
  );
}
