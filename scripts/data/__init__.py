"""The data stage: read a Data Package, check it (every problem located, in both languages), and join
its tables into the records pages are made of, with each target's status. Imports only from base."""
