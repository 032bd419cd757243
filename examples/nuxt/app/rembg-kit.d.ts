// Types of ?rembg imports (by how the import ends: `&format=png`, `&rembg`, `&as=meta`, ...).
/// <reference types="@rembg-kit/unplugin/client" />
