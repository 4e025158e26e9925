/** Simple accessible tabs. */

export function Tabs<T extends string>(props: { tabs: { id: T; label: string }[]; active: T;
  onChange: (id: T) => void; label: string }) {
  return (
    <div className="tabs" role="tablist" aria-label={props.label}>
      {props.tabs.map((tab) => (
        <button key={tab.id} type="button" role="tab" aria-selected={props.active === tab.id}
          className={props.active === tab.id ? "tab active" : "tab"} onClick={() => props.onChange(tab.id)}>
          {tab.label}
        </button>
      ))}
    </div>
  );
}
