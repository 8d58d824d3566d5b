const STYLE_ID = "emgkit-runs-style";

const CSS = `
.runs-view { display: flex; gap: 16px; align-items: flex-start; min-height: 100%; font: 14px/1.4 system-ui, sans-serif; }
.runs-sidebar { flex: 0 0 260px; max-height: calc(100vh - 80px); overflow: auto; border-right: 1px solid #ddd; padding: 8px 12px 8px 4px; }
.runs-sidebar h3 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: #555; margin: 14px 0 6px; }
.runs-sidebar ul { list-style: none; margin: 0; padding: 0 0 0 4px; }
.runs-sidebar ul ul { padding-left: 14px; }
.runs-sidebar li { margin: 2px 0; }
.runs-sidebar label { display: flex; gap: 6px; align-items: center; cursor: pointer; word-break: break-all; }
.runs-sidebar .runs-experiment { background: none; border: 0; padding: 2px 0; color: #0b5cad; cursor: pointer; font: inherit; text-align: left; word-break: break-all; }
.runs-sidebar .runs-experiment[aria-current="true"] { font-weight: bold; }
.runs-toolbar { display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: center; }
.runs-toolbar label { font-size: 13px; }
.runs-main { flex: 1 1 auto; min-width: 0; padding: 4px 8px 24px; }
.runs-status { color: #666; }
.runs-status.error { color: #b00020; }
.runs-charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 12px; margin: 8px 0 16px; }
.runs-chart svg, .runs-markdown img { max-width: 100%; height: auto; }
.runs-markdown table { border-collapse: collapse; margin: 8px 0 16px; font-variant-numeric: tabular-nums; display: block; max-width: 100%; overflow-x: auto; }
.runs-markdown th, .runs-markdown td { border: 1px solid #ccc; padding: 3px 8px; }
.runs-markdown th { background: #f3f3f3; }
.runs-markdown code { background: #f3f3f3; padding: 0 3px; border-radius: 3px; }
.runs-markdown pre { background: #f6f6f6; padding: 8px; overflow: auto; }
.runs-view details pre { background: #f6f6f6; padding: 8px; overflow: auto; max-height: 320px; }
.runs-dropzone.dragging { outline: 2px dashed #0b5cad; outline-offset: 4px; }
`;

/** Adds the runs view's style sheet to `doc` once. */
export function ensureRunsStyle(doc: Document): void {
  if (doc.getElementById(STYLE_ID) !== null) return;
  const style = doc.createElement("style");
  style.id = STYLE_ID;
  style.textContent = CSS;
  doc.head.append(style);
}
