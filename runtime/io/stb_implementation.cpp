// The one translation unit that compiles stb_image and stb_image_write (single-header libraries:
// the implementation is emitted where *_IMPLEMENTATION is defined). Everything else includes the
// headers for declarations only.
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_FAILURE_USERMSG  // readable failure reasons ("Corrupt PNG") for our error messages
#include <stb_image.h>
#include <stb_image_write.h>
