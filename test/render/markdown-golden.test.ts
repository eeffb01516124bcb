/** The every-action fixture plan in all three renderings, compared with reviewed golden files. */
import { describe, it } from 'vitest';
import { renderPlanHuman } from '../../src/render/human.js';
import { renderPlanJson } from '../../src/render/json.js';
import { renderPlanMarkdown } from '../../src/render/markdown.js';
import { everyActionPlan } from './fixtures/every-action-plan.js';
import { expectGolden } from './fixtures/golden.js';

describe('golden renderings of a plan with every kind of change', () => {
  it('human (terminal, no colour)', () => {
    expectGolden('every-action.human.txt', renderPlanHuman(everyActionPlan(), { color: false }));
  });

  it('markdown (pull-request comment)', () => {
    expectGolden('every-action.md', renderPlanMarkdown(everyActionPlan()));
  });

  it('JSON (show -json)', () => {
    expectGolden('every-action.json', renderPlanJson(everyActionPlan()));
  });
});
