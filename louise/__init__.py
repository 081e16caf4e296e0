"""LOUISE — Logistik und innovative Services für urbane Regionen."""
