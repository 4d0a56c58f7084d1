/** Element ids shared by the clients list's parts (kept apart so the Add Client pane, loaded on demand, imports no list code). */

/** Focus goes back to Add Client after the Client Successfully Created window when the new row is not shown. */
export const ADD_CLIENT_BUTTON_ID = 'add-client-button';
