'use client';

import dynamic from 'next/dynamic';
import { useState } from 'react';
import type { RoleOption } from '@/lib/roles/queries';
import { usePaneParam } from './use-pane-param';

/**
 * The Add Client pane, its form (react-hook-form, zod, the role picker), the discard dialog and the Client
 * Successfully Created window are not part of the list's first view: their code loads when the pane first opens
 * (Add Client, or a ?add=client deep link, which is rendered on the server as before). Once loaded it stays mounted,
 * so the secret window outlives the pane it came from.
 */
const AddClientSheet = dynamic(() => import('./add-client-sheet').then((m) => m.AddClientSheet));

/** Start loading the pane's code before the click lands (pointer over or focus on Add Client). */
export function preloadAddClientSheet() {
  void import('./add-client-sheet');
}

export function AddClientSheetLoader(props: { tenantRoles: RoleOption[]; communityRoles: RoleOption[] }) {
  const pane = usePaneParam('add', 'client');
  const [needed, setNeeded] = useState(pane.isOpen);
  if (pane.isOpen && !needed) setNeeded(true);
  return needed ? <AddClientSheet {...props} /> : null;
}
