import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { SubmitButton } from '@/components/ui/submit-button';

// The HTML the server sends, before any script runs: a form that needs JavaScript cannot be submitted yet, and
// whatever submits it natively would POST, never GET its fields into the address.
describe('SubmitButton before hydration', () => {
  it('is rendered disabled, as a POST submitter', () => {
    const html = renderToString(createElement(SubmitButton, { form: 'add-role-form' }, 'Save'));
    expect(html).toMatch(/^<button[^>]* type="submit"/);
    expect(html).toContain('formMethod="post"');
    expect(html).toContain('disabled=""');
    expect(html).toContain('form="add-role-form"');
    expect(html).toContain('>Save</button>');
  });
});
