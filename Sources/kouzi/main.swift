import KouziCLI

KouziCommand.main()
