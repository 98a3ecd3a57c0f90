# Project-wide warnings; CI turns them into errors (OA_WERROR).
function(oa_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  if(OA_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
