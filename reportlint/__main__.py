from reportlint.launch import main

main()
