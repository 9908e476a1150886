// The filters under the search field: errors only, categories (the known
// ones, in their colours, and any other the source is seen to have) and event
// types (typed, with those of the hits so far to pick from). Errors only
// replaces the other two while it is on.
import { useId, useState } from 'react';
import { categoryClass } from '../trace/categories.ts';
import { toggle } from '../trace/trace-filter.ts';
import { type FilterValues, isNarrowed, noSearchFilters, parseTypes } from './filters.ts';
import { ERROR_CATEGORY, ERROR_EVENT_TYPE } from './hit-stream.ts';

interface SearchFiltersProps {
  filters: FilterValues;
  /** The category chips (offeredCategories). */
  categories: readonly string[];
  /** Event types of the hits so far, offered while typing a type. */
  seenTypes: readonly string[];
  onChange: (filters: FilterValues) => void;
}

export function SearchFilters({ filters, categories, seenTypes, onChange }: SearchFiltersProps) {
  const typesListId = useId();
  // The typed text is applied on Enter or leaving the field (parsing on each key would eat the separator just typed);
  // a change from outside (Clear filters) replaces it.
  const applied = filters.eventTypes.join(', ');
  const [typed, setTyped] = useState({ text: applied, applied });
  if (typed.applied !== applied) setTyped({ text: applied, applied });
  const applyTypes = () => onChange({ ...filters, eventTypes: parseTypes(typed.text) });
  return (
    <div className="search-filters">
      <div className="chip-row" role="group" aria-label="Search filters">
        <button
          type="button"
          className="chip cat-error"
          aria-pressed={filters.errorsOnly}
          title={`Category ${ERROR_CATEGORY} and ${ERROR_EVENT_TYPE} events`}
          onClick={() => onChange({ ...filters, errorsOnly: !filters.errorsOnly })}
        >
          Errors only
        </button>
        {isNarrowed(filters) && (
          <button type="button" className="link-button" onClick={() => onChange(noSearchFilters)}>
            Clear filters
          </button>
        )}
      </div>
      <fieldset className="search-filter-fields" disabled={filters.errorsOnly}>
        <div className="chip-row" role="group" aria-label="Search by category">
          <span className="chip-row-label">Category</span>
          {categories.map((category) => (
            <button
              key={category}
              type="button"
              className={`chip ${categoryClass(category)}`}
              aria-pressed={!filters.errorsOnly && filters.categories.includes(category)}
              onClick={() => onChange({ ...filters, categories: toggle(filters.categories, category) })}
            >
              {category}
            </button>
          ))}
        </div>
        <label className="chip-row">
          <span className="chip-row-label">Type</span>
          <input
            type="text"
            className="search-types mono"
            list={typesListId}
            placeholder="any event type (e.g. llm.error, run.end)"
            aria-label="Search by event type"
            value={typed.text}
            onChange={(event) => setTyped({ text: event.target.value, applied })}
            onBlur={applyTypes}
            onKeyDown={(event) => {
              if (event.key === 'Enter') applyTypes();
            }}
          />
          <datalist id={typesListId}>
            {seenTypes.map((type) => (
              <option key={type} value={type} />
            ))}
          </datalist>
        </label>
      </fieldset>
    </div>
  );
}
