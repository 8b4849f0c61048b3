console.log('dossier');
