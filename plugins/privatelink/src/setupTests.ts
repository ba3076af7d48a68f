import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The `findBy…` queries wait for what the components render after their API calls; on a loaded 2-core machine
// (the test command runs every package at once) a table of the MUI kind takes more than the default second.
configure({ asyncUtilTimeout: 5_000 });
