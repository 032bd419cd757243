/// <reference types="@rembg-kit/unplugin/next-client" />
