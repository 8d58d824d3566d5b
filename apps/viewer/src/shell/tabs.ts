/** Tabs: one button per panel, one panel visible (`data-testid="tab-<id>"`, `#<id>` in the URL). */
export interface Tab {
  id: string;
  title: string;
  panel: HTMLElement;
}

export class Tabs {
  readonly bar: HTMLElement;
  private readonly buttons = new Map<string, HTMLButtonElement>();

  constructor(private readonly tabs: Tab[]) {
    this.bar = document.createElement("nav");
    this.bar.className = "tabs";
    this.bar.setAttribute("role", "tablist");
    for (const tab of tabs) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = tab.title;
      button.dataset.testid = `tab-${tab.id}`;
      button.setAttribute("role", "tab");
      button.addEventListener("click", () => this.select(tab.id));
      tab.panel.setAttribute("role", "tabpanel");
      tab.panel.dataset.tab = tab.id;
      this.buttons.set(tab.id, button);
      this.bar.append(button);
    }
    const initial = tabs.find((tab) => `#${tab.id}` === location.hash)?.id ?? tabs[0]?.id;
    if (initial !== undefined) this.select(initial, false);
  }

  select(id: string, updateUrl = true): void {
    for (const tab of this.tabs) {
      const active = tab.id === id;
      tab.panel.hidden = !active;
      const button = this.buttons.get(tab.id);
      button?.classList.toggle("active", active);
      button?.setAttribute("aria-selected", String(active));
    }
    if (updateUrl) history.replaceState(null, "", `${location.pathname}${location.search}#${id}`);
  }
}
